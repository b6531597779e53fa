using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Verification.Difficulty;

namespace SessionGate.Tests.Verification.Difficulty;

/// <summary>The Auto control loop on a fake clock: rises over budget, holds in the hysteresis band, falls after calm.</summary>
public sealed class DifficultyControllerTests
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);

    private DifficultyController Auto(int bits = 20, double budget = 100, int step = 4) => new(
        new DifficultyOptions
        {
            Mode = DifficultyMode.Auto,
            Bits = bits,
            FirstSeenVerificationsPerSecond = budget,
            StepBits = step,
            MeasureInterval = TimeSpan.FromSeconds(1),
            LowerAfter = TimeSpan.FromSeconds(10),
            LowerBelowFraction = 0.5,
        },
        _time);

    // One measured second with `count` first-seen headers, then the decision.
    private static int Second(DifficultyController controller, FakeTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            controller.RecordFirstSeen();
        }

        time.Advance(TimeSpan.FromSeconds(1));
        return controller.Current;
    }

    [Fact]
    public void Current_OffAndAlways_AreFixed()
    {
        var off = new DifficultyController(new DifficultyOptions(), _time);
        var always = new DifficultyController(new DifficultyOptions { Mode = DifficultyMode.Always, Bits = 12 }, _time);

        Assert.Equal(0, Second(off, _time, 1_000_000));
        Assert.Equal(12, Second(always, _time, 0));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(12, always.Current);
    }

    [Fact]
    public void Current_LoadAtOrUnderBudget_StaysZero()
    {
        DifficultyController controller = Auto();
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(0, Second(controller, _time, 100));
        }
    }

    [Fact]
    public void Current_OverBudget_RisesByAStepEachSecondUpToTheCap()
    {
        DifficultyController controller = Auto(bits: 10);

        Assert.Equal(4, Second(controller, _time, 150));
        Assert.Equal(150, controller.LastRate);
        Assert.Equal(8, Second(controller, _time, 150));
        Assert.Equal(10, Second(controller, _time, 150));
        Assert.Equal(10, Second(controller, _time, 150));
    }

    [Fact]
    public void Current_FarOverBudget_RisesByEnoughBitsAtOnce()
    {
        DifficultyController controller = Auto(bits: 32, budget: 100, step: 1);

        // 100,000/s against 100/s: log2(1000) ≈ 9.97, so 10 bits in one decision.
        Assert.Equal(10, Second(controller, _time, 100_000));
    }

    [Fact]
    public void Current_InTheHysteresisBand_Holds()
    {
        DifficultyController controller = Auto();
        Assert.Equal(4, Second(controller, _time, 500));

        // 60/s: under the budget (100) but not under half of it: never calm, never lowered.
        for (int i = 0; i < 60; i++)
        {
            Assert.Equal(4, Second(controller, _time, 60));
        }
    }

    [Fact]
    public void Current_Calm_FallsOneStepPerLowerAfter()
    {
        DifficultyController controller = Auto();
        Second(controller, _time, 1_000);
        Assert.Equal(8, Second(controller, _time, 1_000));

        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(8, Second(controller, _time, 10));
        }

        Assert.Equal(4, Second(controller, _time, 10));
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(4, Second(controller, _time, 0));
        }

        Assert.Equal(0, Second(controller, _time, 0));
    }

    [Fact]
    public void Current_BurstDuringCalm_RestartsTheCalmPeriod()
    {
        DifficultyController controller = Auto();
        Assert.Equal(4, Second(controller, _time, 200));
        for (int i = 0; i < 8; i++)
        {
            Second(controller, _time, 0);
        }

        Assert.Equal(8, Second(controller, _time, 200)); // over budget again: up, and calm starts over
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(8, Second(controller, _time, 0));
        }

        Assert.Equal(4, Second(controller, _time, 0));
    }

    [Fact]
    public void Current_LongIdle_FallsAllTheWayWithoutTraffic()
    {
        DifficultyController controller = Auto();
        Second(controller, _time, 1_000);
        Assert.Equal(8, Second(controller, _time, 1_000));

        Second(controller, _time, 0); // the calm starts here
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, controller.Current); // a read alone decides (what /block does)
    }

    [Fact]
    public void Current_WithinAnInterval_DoesNotDecide()
    {
        DifficultyController controller = Auto();
        for (int i = 0; i < 10_000; i++)
        {
            controller.RecordFirstSeen();
        }

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, controller.Current);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(controller.Current > 0);
    }
}
