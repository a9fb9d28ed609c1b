using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSphere.Simulator.Tests.Infrastructure;

/// <summary>Assertions on simulator responses.</summary>
internal static class ResponseAssert
{
    /// <summary>Asserts the status and the <c>{"code","message"}</c> error body.</summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("code").GetInt32());
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"Expected {status}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
