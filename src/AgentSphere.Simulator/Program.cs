using AgentSphere.Simulator;
using Microsoft.Extensions.Options;

try
{
    SimulatorApplication.Build(args).Run();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
catch (InvalidOperationException ex) when (ex.InnerException is ArgumentException or FormatException)
{
    // The configuration binder names the key it could not convert (e.g. "--capacity abc").
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
