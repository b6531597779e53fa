using BenchmarkDotNet.Running;
using SessionGate.Benchmarks.Pipeline;

if (args.Length > 0 && args[0] == "alloc-types")
{
    return await AllocationTypes.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
