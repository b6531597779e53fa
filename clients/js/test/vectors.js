// The worked example of docs/protocol.md (also what the C# tests use).
export const seedHex = '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const publicKeyHex = '0x44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f';
export const account = 'kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83';
export const blockHash = '0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE';
export const message = '{"account":"kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83","block_hash":"0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE","nonce":0}';
export const header = '{"pubkey":"0x44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f","account":"kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83","block_hash":"0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE","nonce":0,"signature":"0xa2592dd5b7403dc150e47e8a8feeeec24294c8844276ecb50c6cffd99e322d47ce182c390b8ad9f7fe0a593412616bfc9a6e879ef7de36e7249cc59ce202d78d"}';
