namespace MediaRelay.Sdp;

/// <summary>
/// One a= line. RFC 8866 §5.13: <c>a=&lt;attribute-name&gt;</c> (property attribute, <see cref="Value"/> null)
/// or <c>a=&lt;attribute-name&gt;:&lt;attribute-value&gt;</c> (value attribute; the value may be empty).
/// </summary>
public sealed record SdpAttribute
{
    public SdpAttribute(string name, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SdpText.IsToken(name))
        {
            throw new ArgumentException($"SDP attribute name '{name}' is not a token (RFC 8866 §9).", nameof(name));
        }

        if (value is not null && !SdpText.IsLineSafe(value))
        {
            throw new ArgumentException("SDP attribute value must not contain CR, LF or NUL.", nameof(value));
        }

        Name = name;
        Value = value;
    }

    public string Name { get; }

    /// <summary>Text after the first ':' exactly as received (leading spaces kept), or null for a flag.</summary>
    public string? Value { get; }

    /// <summary>The line content after "a=".</summary>
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
