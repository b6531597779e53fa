using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionGate.Grants;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate grant …</c> and <c>sessiongate grant revoke …</c> (docs/grants.md): what a Keplr
/// user does in a browser, from a shell. Reads the chain id from <c>{url}{prefix}/block</c>, writes
/// the grant (or revoke) message, checks it with the gateway's own parser, signs it as Keplr's
/// <c>signArbitrary</c> does (<see cref="Adr036Signer"/>) and posts <c>{"message", "signature"}</c>
/// to <c>{prefix}/grants</c> (or <c>/grants/revoke</c>). Prints the key record; exit 0 for a 2xx
/// answer, 1 for a refusal (its problem on standard error), 2 for bad usage or an unreachable gateway.
/// </summary>
internal sealed class GrantCommand : ICliCommand
{
    private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly TextReader _stdin;
    private readonly TimeProvider _time;

    public GrantCommand()
        : this(Console.In, TimeProvider.System)
    {
    }

    /// <param name="stdin">Where <c>--seed-file -</c> and <c>--wallet-key-file -</c> read.</param>
    /// <param name="time">The clock for Issued At (tests move it).</param>
    public GrantCommand(TextReader stdin, TimeProvider time)
    {
        _stdin = stdin;
        _time = time;
    }

    public string Name => "grant";

    public string Usage =>
        "  sessiongate grant (--wallet-key HEX | --wallet-key-file PATH|-) (--seed HEX | --seed-file PATH|- | --public-key HEX)\n" +
        "                    --url URL [--expires 1d|RFC3339] [--use-case U] [--domain D] [--statement TEXT] [--scope \"[GET,POST ]/path\"]...\n" +
        "                    [--chain-id ID] [--prefix kira] [--path-prefix /_sessiongate] [--nonce N] [--timeout SECONDS]\n" +
        "                                            wallet-signed grant of a session key (ADR-036, as Keplr signs); prints the key record\n" +
        "  sessiongate grant revoke (--wallet-key … ) (--seed … | --public-key HEX) --url URL [--domain D] [--chain-id ID] ...\n" +
        "                                            wallet-signed revocation of the account's session key (permanent)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        bool revoke = args.Count > 0 && args[0] == "revoke";
        string command = revoke ? "grant revoke" : "grant";
        GrantMessageKind kind = revoke ? GrantMessageKind.Revoke : GrantMessageKind.Grant;
        var arguments = new CommandArguments(command, [.. args.Skip(revoke ? 1 : 0)], new HashSet<string>(), GrantSpec.Repeatable, maxPositional: 0);
        GrantSpec spec = GrantSpec.Read(command, kind, arguments, new GrantSecrets(command, _stdin));
        try
        {
            if (!Adr036Signer.TryCreate(spec.WalletKey, out Adr036Signer? wallet))
            {
                throw new UsageException($"{command}: --wallet-key is not a valid secp256k1 private key (zero or not below the group order)");
            }

            using (wallet)
            {
                using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = spec.Gateway, Timeout = spec.Timeout };
                string chainId = spec.ChainId ?? await ReadChainIdAsync(http, spec, command, cancellationToken).ConfigureAwait(false);
                string account = wallet.AccountAddress(spec.AddressPrefix);
                GrantMessage message = spec.ToMessage(account, chainId, _time.GetUtcNow(), spec.Nonce ?? RandomNumberGenerator.GetString(NonceAlphabet, 16));
                string text = kind == GrantMessageKind.Grant ? GrantMessageText.Grant(message) : GrantMessageText.Revoke(message);

                // The gateway's own parser: refuse here what the gateway would refuse, before signing.
                if (!GrantMessageParser.TryParse(text, kind, spec.AddressPrefix, out _, out IReadOnlyList<string> problems))
                {
                    throw new UsageException($"{command}: the message would be refused: {string.Join(" ", problems)}");
                }

                string body = Body(text, wallet.PublicKey, wallet.SignArbitrary(account, text));
                return await PostAsync(http, spec, command, body, output, error, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(spec.WalletKey);
        }
    }

    /// <summary>The request body: the message and exactly what Keplr's <c>signArbitrary</c> returns.</summary>
    internal static string Body(string message, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteStartObject("signature");
            writer.WriteStartObject("pub_key");
            writer.WriteString("type", Adr036Signer.PublicKeyType);
            writer.WriteString("value", Convert.ToBase64String(publicKey));
            writer.WriteEndObject();
            writer.WriteString("signature", Convert.ToBase64String(signature));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<string> ReadChainIdAsync(HttpClient http, GrantSpec spec, string command, CancellationToken cancellationToken)
    {
        string url = spec.PathPrefix + "/block";
        using HttpResponseMessage response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, url), spec, command, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new UsageException($"{command}: {spec.Gateway}{url.TrimStart('/')} answered {(int)response.StatusCode}; is this a SessionGate gateway with this --path-prefix? (or give --chain-id)");
        }

        try
        {
            using JsonDocument block = JsonDocument.Parse(text);
            return block.RootElement.TryGetProperty("chain_id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } chainId
                ? chainId
                : throw new UsageException($"{command}: the gateway's /block answer has no chain_id (an older gateway?); give --chain-id");
        }
        catch (JsonException)
        {
            throw new UsageException($"{command}: the gateway's /block answer is not JSON");
        }
    }

    private static async Task<int> PostAsync(HttpClient http, GrantSpec spec, string command, string body, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string path = spec.PathPrefix + (spec.Kind == GrantMessageKind.Grant ? "/grants" : "/grants/revoke");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using HttpResponseMessage response = await SendAsync(http, request, spec, command, cancellationToken).ConfigureAwait(false);
        string answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            await output.WriteLineAsync(answer).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await error.WriteLineAsync($"sessiongate {command}: {(int)response.StatusCode} {Describe(answer)}").ConfigureAwait(false);
        await output.WriteLineAsync(answer).ConfigureAwait(false);
        return ExitCodes.RequestFailed;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, GrantSpec spec, string command, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new UsageException($"{command}: cannot reach {spec.Gateway}: {e.Message.ReplaceLineEndings(" ")}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UsageException($"{command}: no answer from {spec.Gateway} within {spec.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }
        }
    }

    /// <summary>"code: detail" of a problem answer, with the listed errors; the raw text otherwise.</summary>
    private static string Describe(string answer)
    {
        try
        {
            using JsonDocument problem = JsonDocument.Parse(answer);
            JsonElement root = problem.RootElement;
            string code = root.TryGetProperty("code", out JsonElement c) ? c.GetString() ?? "" : "";
            string detail = root.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? "" : "";
            var text = new StringBuilder(code).Append(": ").Append(detail);
            if (root.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty field in errors.EnumerateObject())
                {
                    foreach (JsonElement item in field.Value.EnumerateArray())
                    {
                        text.Append(Environment.NewLine).Append("  ").Append(field.Name).Append(": ").Append(item.GetString());
                    }
                }
            }

            return text.ToString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return answer.Length > 200 ? answer[..200] : answer;
        }
    }
}
