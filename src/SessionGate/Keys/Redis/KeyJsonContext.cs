using System.Text.Json.Serialization;

namespace SessionGate.Keys.Redis;

/// <summary>Source-generated JSON for the <c>scopes</c> field: <c>[{"path":"/api/","methods":["GET"]}]</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<KeyScope>))]
internal sealed partial class KeyJsonContext : JsonSerializerContext;
