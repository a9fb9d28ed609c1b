using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AgentSphere.Benchmarks.LatencyRecordingBenchmarks).Assembly).Run(args);
