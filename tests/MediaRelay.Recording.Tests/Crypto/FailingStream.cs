namespace MediaRelay.Recording.Tests.Crypto;

/// <summary>A memory stream that starts failing writes like a full disk after a byte budget.</summary>
internal sealed class FailingStream(int budget) : MemoryStream
{
    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Length + count > budget)
        {
            throw new IOException("No space left on device", 28);
        }
        base.Write(buffer, offset, count);
    }
}
