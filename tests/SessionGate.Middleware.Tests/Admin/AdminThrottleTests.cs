using System.Net;
using Microsoft.Extensions.Time.Testing;
using SessionGate.AspNetCore.Admin;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>Back-off on failed admin credentials (issue 17 finding 6).</summary>
public sealed class AdminThrottleTests
{
    private const string Client = "192.0.2.7";

    [Fact]
    public void RecordFailure_PastTheFreeFailures_ShutOutDoublesUpToTheMaximum()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new AdminFailureThrottle(failuresPerMinute: 3, maxBackoff: TimeSpan.FromSeconds(10), time);
        var shutOuts = new List<double?>();

        for (int i = 0; i < 8; i++)
        {
            shutOuts.Add(throttle.RecordFailure(Client)?.TotalSeconds);
        }

        Assert.Equal([null, null, null, 1, 2, 4, 8, 10], shutOuts);
        Assert.Equal(TimeSpan.FromSeconds(10), throttle.ShutOutFor(Client));
        Assert.Null(throttle.ShutOutFor("192.0.2.8"));
    }

    [Fact]
    public void ShutOutFor_AfterTheBackoffAndAQuietMinute_FailuresStartOver()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var throttle = new AdminFailureThrottle(failuresPerMinute: 1, maxBackoff: TimeSpan.FromMinutes(1), time);
        throttle.RecordFailure(Client);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RecordFailure(Client));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(throttle.ShutOutFor(Client));
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.RecordFailure(Client));   // still within the window: the back-off grows

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(throttle.RecordFailure(Client));                             // a quiet minute: free again
    }

    [Fact]
    public void RecordSuccess_ForgetsTheFailures()
    {
        var throttle = new AdminFailureThrottle(failuresPerMinute: 1, maxBackoff: TimeSpan.FromMinutes(1), new FakeTimeProvider());
        throttle.RecordFailure(Client);
        throttle.RecordSuccess(Client);

        Assert.Null(throttle.RecordFailure(Client));
    }

    [Fact]
    public async Task WrongKeys_PastTheLimit_429WithGrowingRetryAfterEvenForTheRightKey()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync(new() { ["SessionGate:Admin:FailuresPerMinute"] = "3" });
        var statuses = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage wrong = await admin.SendAsync("GET", "/blocked", authorization: "Bearer wrong-" + i);
            statuses.Add((int)wrong.StatusCode);
        }

        using HttpResponseMessage fourth = await admin.SendAsync("GET", "/blocked", authorization: "Bearer wrong");
        using HttpResponseMessage right = await admin.SendAsync("GET", "/blocked");

        Assert.Equal([401, 401, 401], statuses);
        await ProblemAssert.IsProblemAsync(fourth, 429, "admin_throttled");
        Assert.Equal(TimeSpan.FromSeconds(1), fourth.Headers.RetryAfter?.Delta);
        await ProblemAssert.IsProblemAsync(right, 429, "admin_throttled");    // the credential is not even looked at
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }
}
