using AgentSphere.Gateway.Hosting;

return await GatewayApplication.RunAsync(args);
