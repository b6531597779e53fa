using Microsoft.Extensions.Time.Testing;
using SessionGate.RateLimiting.Redis;
using SessionGate.Testing;

namespace SessionGate.Tests.RateLimiting;

public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public void TryEnter_Closed_LetsEveryCallThrough()
    {
        var breaker = new CircuitBreaker(Interval, new FakeTimeProvider(TestTime.Start));

        Assert.Equal(BreakerTicket.Normal, breaker.TryEnter());
        Assert.Equal(BreakerTicket.Normal, breaker.TryEnter());
        Assert.False(breaker.IsOpen);
    }

    [Fact]
    public void OnFailure_Closed_OpensAndRefusesUntilTheIntervalPasses()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var breaker = new CircuitBreaker(Interval, time);

        BreakerTransition transition = breaker.OnFailure(breaker.TryEnter());
        time.Advance(Interval - TimeSpan.FromTicks(1));

        Assert.Equal(BreakerTransition.Opened, transition);
        Assert.True(breaker.IsOpen);
        Assert.Equal(BreakerTicket.Refused, breaker.TryEnter());
        Assert.Equal(TimeSpan.FromTicks(1), breaker.UntilProbe());
    }

    [Fact]
    public void TryEnter_IntervalOver_LetsExactlyOneProbeThrough()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var breaker = new CircuitBreaker(Interval, time);
        breaker.OnFailure(breaker.TryEnter());
        time.Advance(Interval);

        Assert.Equal(BreakerTicket.Probe, breaker.TryEnter());
        Assert.Equal(BreakerTicket.Refused, breaker.TryEnter());
        Assert.Equal(BreakerTicket.Refused, breaker.TryEnter());
    }

    [Fact]
    public void OnSuccess_Probe_ClosesAndReportsHowLongItWasOpen()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var breaker = new CircuitBreaker(Interval, time);
        breaker.OnFailure(breaker.TryEnter());
        time.Advance(Interval);
        BreakerTicket probe = breaker.TryEnter();

        TimeSpan? openFor = breaker.OnSuccess(probe);

        Assert.Equal(Interval, openFor);
        Assert.False(breaker.IsOpen);
        Assert.Equal(BreakerTicket.Normal, breaker.TryEnter());
    }

    [Fact]
    public void OnFailure_Probe_StaysOpenForAnotherInterval()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var breaker = new CircuitBreaker(Interval, time);
        breaker.OnFailure(breaker.TryEnter());
        time.Advance(Interval);

        BreakerTransition transition = breaker.OnFailure(breaker.TryEnter());

        Assert.Equal(BreakerTransition.ProbeFailed, transition);
        Assert.Equal(BreakerTicket.Refused, breaker.TryEnter());
        time.Advance(Interval);
        Assert.Equal(BreakerTicket.Probe, breaker.TryEnter());
        Assert.Equal(2 * Interval, breaker.OnSuccess(BreakerTicket.Probe));
    }

    [Fact]
    public void OnFailure_CallsStartedBeforeOpening_OpenOnlyOnce()
    {
        var breaker = new CircuitBreaker(Interval, new FakeTimeProvider(TestTime.Start));
        BreakerTicket[] inFlight = [breaker.TryEnter(), breaker.TryEnter(), breaker.TryEnter()];

        BreakerTransition[] transitions = [.. inFlight.Select(breaker.OnFailure)];

        Assert.Equal([BreakerTransition.Opened, BreakerTransition.None, BreakerTransition.None], transitions);
    }

    [Fact]
    public void OnSuccess_CallStartedBeforeOpening_DoesNotClose()
    {
        var breaker = new CircuitBreaker(Interval, new FakeTimeProvider(TestTime.Start));
        BreakerTicket early = breaker.TryEnter();
        breaker.OnFailure(breaker.TryEnter());

        Assert.Null(breaker.OnSuccess(early));
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void OnAbandoned_Probe_NextCallProbesAtOnce()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var breaker = new CircuitBreaker(Interval, time);
        breaker.OnFailure(breaker.TryEnter());
        time.Advance(Interval);

        breaker.OnAbandoned(breaker.TryEnter());

        Assert.Equal(BreakerTicket.Probe, breaker.TryEnter());
    }
}
