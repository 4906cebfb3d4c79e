using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>Reads and edits an ordered a= line list (session or media level) by attribute name.</summary>
public static class SdpAttributeListExtensions
{
    /// <summary>Value of the first attribute called <paramref name="name"/>; null if absent or a flag.</summary>
    public static string? GetValue(this List<SdpAttribute> attributes, string name)
    {
        foreach (SdpAttribute a in attributes)
        {
            if (a.Name == name)
            {
                return a.Value;
            }
        }

        return null;
    }

    /// <summary>Values of every attribute called <paramref name="name"/>, in order (flags skipped).</summary>
    public static List<string> GetValues(this List<SdpAttribute> attributes, string name)
    {
        var result = new List<string>();
        foreach (SdpAttribute a in attributes)
        {
            if (a.Name == name && a.Value is not null)
            {
                result.Add(a.Value);
            }
        }

        return result;
    }

    public static bool Has(this List<SdpAttribute> attributes, string name)
    {
        foreach (SdpAttribute a in attributes)
        {
            if (a.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Replaces the first <paramref name="name"/> attribute in place and removes later ones; appends when absent;
    /// removes all when <paramref name="value"/> is null.
    /// </summary>
    public static void SetValue(this List<SdpAttribute> attributes, string name, string? value) =>
        Replace(attributes, name, value is null ? null : new SdpAttribute(name, value));

    /// <summary>Adds the flag attribute (a=name) once, or removes every occurrence.</summary>
    public static void SetFlag(this List<SdpAttribute> attributes, string name, bool present) =>
        Replace(attributes, name, present ? new SdpAttribute(name) : null);

    /// <summary>Removes every attribute called <paramref name="name"/>; returns how many were removed.</summary>
    public static int RemoveAttributes(this List<SdpAttribute> attributes, string name) =>
        attributes.RemoveAll(a => a.Name == name);

    internal static void Replace(List<SdpAttribute> attributes, string name, SdpAttribute? replacement)
    {
        int first = -1;
        for (int i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Name != name)
            {
                continue;
            }

            if (first < 0 && replacement is not null)
            {
                first = i;
                attributes[i] = replacement;
            }
            else
            {
                attributes.RemoveAt(i);
                i--;
            }
        }

        if (first < 0 && replacement is not null)
        {
            attributes.Add(replacement);
        }
    }

    internal delegate bool ValueParser<T>(string value, [NotNullWhen(true)] out T? result);

    /// <summary>Parses every <paramref name="name"/> attribute; malformed values are skipped.</summary>
    internal static List<T> Collect<T>(List<SdpAttribute> attributes, string name, ValueParser<T> parser)
    {
        var result = new List<T>();
        foreach (SdpAttribute a in attributes)
        {
            if (a.Name == name && a.Value is not null && parser(a.Value, out T? parsed))
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    /// <summary>First well-formed <paramref name="name"/> attribute, parsed.</summary>
    internal static T? First<T>(List<SdpAttribute> attributes, string name, ValueParser<T> parser)
        where T : class
    {
        foreach (SdpAttribute a in attributes)
        {
            if (a.Name == name && a.Value is not null && parser(a.Value, out T? parsed))
            {
                return parsed;
            }
        }

        return null;
    }
}
