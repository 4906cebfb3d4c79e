using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>Writes browser console lines and the like to a test's output, dropping those that come after it ended.</summary>
public static class TestOutput
{
    public static void TryWrite(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test finished; late lines are dropped
        }
    }
}
