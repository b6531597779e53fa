using System.Text.Json.Serialization;

namespace SessionGate.Keys.Redis;

/// <summary>Source-generated JSON for the <c>scopes</c> field: <c>[{"path":"/api/","methods":["GET"],"maxCost":5}]</c> (no <c>maxCost</c> when unlimited, as written before it existed).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<KeyScope>))]
internal sealed partial class KeyJsonContext : JsonSerializerContext;
