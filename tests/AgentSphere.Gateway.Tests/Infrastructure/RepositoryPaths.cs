namespace AgentSphere.Gateway.Tests.Infrastructure;

internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSphere.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentSphere.Gateway.sln) was not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    public static string YarpJson => Path.Combine(Root, "yarp.json");
}
