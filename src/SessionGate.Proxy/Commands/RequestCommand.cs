using System.Globalization;
using System.Security.Cryptography;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;
using SessionGate.Proxy.Requests;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate request --seed HEX|--seed-file PATH|- --account ACC [--method M] [--data TEXT|@FILE] [--header "K: V"]…
/// [--path-prefix P] [--context TEXT] [--timeout SECONDS] URL</c>: a curl-like signed request. The
/// header comes from <see cref="KiraSessionHandler"/> (the client SDK), which reads the gateway's
/// latest block from <c>{origin of URL}{path prefix}/block</c>. Exit 0 for a 2xx answer, 1 for any
/// other HTTP status, 2 for bad usage or a gateway that cannot be reached.
/// </summary>
internal sealed class RequestCommand : ICliCommand
{
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "header" };

    public string Name => "request";

    public string Usage =>
        "  sessiongate request --seed HEX|--seed-file PATH|- --account ACC [--method M] [--data TEXT|@FILE] [--header \"K: V\"]...\n" +
        "                      [--path-prefix /_sessiongate] [--context TEXT] [--timeout SECONDS] URL\n" +
        "                                            signed request: prints status, RateLimit headers, body";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments(Name, args, new HashSet<string>(), Repeatable, maxPositional: 1);
        byte[] seed = SeedOption.ReadRequired(arguments, Name);
        try
        {
            RequestSpec spec = RequestSpec.Read(arguments);
            using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(seed);
            var options = new KiraSessionClientOptions
            {
                Gateway = new Uri(spec.Url.GetLeftPart(UriPartial.Authority)),
                PathPrefix = spec.PathPrefix,
                SigningContext = spec.Context,
            };
            using var client = new HttpClient(new KiraSessionHandler(key, spec.Account, options, new SocketsHttpHandler()))
            {
                Timeout = spec.Timeout,
            };

            using HttpRequestMessage request = spec.CreateRequest();
            using HttpResponseMessage response = await SendAsync(client, request, spec, cancellationToken).ConfigureAwait(false);
            await ResponsePrinter.WriteAsync(response, output, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.RequestFailed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, RequestSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (KiraSessionException e)
        {
            throw new UsageException("request: " + OneLine(e.Message));
        }
        catch (HttpRequestException e)
        {
            throw new UsageException($"request: cannot reach {spec.Url.GetLeftPart(UriPartial.Authority)}: {OneLine(e.Message)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UsageException($"request: no answer from {spec.Url.GetLeftPart(UriPartial.Authority)} within {spec.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
