using System.Globalization;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c> (Linux): current (VmRSS) and peak (VmHWM).</summary>
internal readonly record struct ProcessMemory(long RssKiB, long PeakKiB)
{
    /// <summary>Current resident memory in MB (10^6 bytes, the unit of the documented bound).</summary>
    public double RssMB => RssKiB * 1024 / 1e6;

    /// <summary>Peak resident memory in MB (10^6 bytes).</summary>
    public double PeakMB => PeakKiB * 1024 / 1e6;

    public static ProcessMemory Read(int pid)
    {
        long rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line);
            }
        }

        return new ProcessMemory(rss, peak);
    }

    // "VmRSS:	  123456 kB"
    private static long KiB(string line) =>
        long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}
