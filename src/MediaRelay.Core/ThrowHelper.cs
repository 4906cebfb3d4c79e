using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Core;

/// <summary>Cold-path throws kept out of hot methods so they stay small and inlinable.</summary>
public static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowArgument(string message, string? paramName = null) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw new FormatException(message);
}
