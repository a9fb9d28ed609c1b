using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>A temporary copy of the repository's yarp.json pointed at test backends; tests edit it to exercise hot reload.</summary>
internal sealed class YarpConfigFile : IDisposable
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    private YarpConfigFile(string directory, JsonObject document)
    {
        Directory = directory;
        Document = document;
    }

    public string Directory { get; }

    public string FilePath => Path.Combine(Directory, "yarp.json");

    public JsonObject Document { get; }

    public JsonObject Routes => Document["ReverseProxy"]!["Routes"]!.AsObject();

    public JsonObject Cluster => Document["ReverseProxy"]!["Clusters"]!["agentsphere"]!.AsObject();

    /// <summary>Copies the repository's yarp.json with the agentsphere cluster's destinations replaced.</summary>
    public static YarpConfigFile Create(IEnumerable<(string Name, Uri Address)> destinations, TimeSpan? healthInterval = null)
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryPaths.YarpJson), documentOptions: ReadOptions)!.AsObject();
        var directory = System.IO.Directory.CreateTempSubdirectory("agentsphere-yarp-").FullName;
        var file = new YarpConfigFile(directory, document);
        var destinationNodes = new JsonObject();
        foreach (var (name, address) in destinations)
        {
            destinationNodes[name] = new JsonObject { ["Address"] = address.ToString() };
        }

        file.Cluster["Destinations"] = destinationNodes;
        if (healthInterval is { } interval)
        {
            file.Cluster["HealthCheck"]!["Active"]!["Interval"] = interval.ToString("c");
        }

        file.Save();
        return file;
    }

    public void Save() => WriteAtomically(Document.ToJsonString(WriteOptions));

    public void WriteRaw(string text) => WriteAtomically(text);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Write beside and rename over, as editors and config-management tools do.
    private void WriteAtomically(string text)
    {
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, FilePath, overwrite: true);
    }
}
