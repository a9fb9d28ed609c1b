namespace AgentSphere.Simulator.Sandboxes;

/// <summary>One page of a listing and the cursor of the next page, if more remain.</summary>
internal sealed record SandboxPage(IReadOnlyList<SandboxInfo> Items, SandboxPageCursor? Next);
