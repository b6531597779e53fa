// ProtectedApi: SessionGate inside your own ASP.NET Core app.
//   dotnet run --project samples/ProtectedApi
//   sessiongate request --seed 0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 \
//       --account kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83 http://localhost:5080/me
// (the key in appsettings.json is the public worked example of docs/protocol.md: for trying only.)
using ProtectedApi;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// Reads the "SessionGate" section; without Redis and a chain configured: in-memory stores and the dev chain.
builder.Services.AddSessionGate();

// AddSessionGate() also registers the rate-limiter policy SessionGatePolicyNames.PerAccount: one quota
// per account by balance tier (anonymous callers: per address), shared through Redis when configured.
WebApplication app = builder.Build();

// Serves /_sessiongate/block and /version, and authenticates every request carrying kira_session.
app.UseSessionGate();

// ASP.NET Core's own rate limiter, after UseSessionGate() so partitions see the verified account.
app.UseRateLimiter();

app.MapGet("/", () => "ProtectedApi: GET /me with a kira_session header (see Program.cs).")
    .DisableSessionGate();

app.MapGet("/me", Me.Get)
    .RequireSession()
    .RequireRateLimiting(SessionGatePolicyNames.PerAccount);

app.Run();

/// <summary>The entry point, public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
