// The browser bundle's entry (build.mjs): a test installs the wallet as window.keplr with
//   await window.installTestKeplr({ privateKey: '0x…', reject: null })
import { createTestWallet } from './wallet.mjs';

window.installTestKeplr = async (options) => {
  window.keplr = await createTestWallet(options);
  return window.keplr.bech32Address;
};
