using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

public class ChunkedFileStorageErrorTests
{
    [Fact]
    public void DiskFullSurfacesAsStorageExceptionAndFaultsWriter()
    {
        var stream = new FailingStream(200);
        using var writer = new ChunkedFileWriter(stream, ChunkedFileTestData.Key, leaveOpen: true);
        writer.Write(new byte[100]);
        writer.SealChunk();
        writer.Write(new byte[100]);
        var e = Assert.Throws<RecordingStorageException>(writer.SealChunk);
        Assert.True(e.IsDiskFull);
        Assert.IsType<IOException>(e.InnerException);
        Assert.True(writer.IsFaulted);
        Assert.Throws<RecordingStorageException>(() => writer.Write([1]));

        // What reached the disk before the failure still reads back.
        var (read, status) = ChunkedFileTestData.Read(stream.ToArray(), ChunkedFileTestData.Key);
        Assert.Equal(ChunkedFileStatus.Truncated, status);
        Assert.Single(read);
    }

    [Fact]
    public void RealDiskFullFromDevFull()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        var e = Assert.Throws<RecordingStorageException>(() => new ChunkedFileWriter(stream, null));
        Assert.True(e.IsDiskFull, e.InnerException?.ToString());
        stream.Dispose();
    }

    [Fact]
    public void OtherIoErrorsAreStorageErrorsButNotDiskFull()
    {
        var e = new RecordingStorageException("x", new IOException("Input/output error", 5));
        Assert.False(e.IsDiskFull);
    }
}
