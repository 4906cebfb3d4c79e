using MediaRelay.Recording.Crypto;
using MediaRelay.Testing;

namespace MediaRelay.Recording.Tests.Crypto;

public class ChunkedFileAllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteAndSealAllocateNothing(bool encrypted)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mrcf-alloc-{Guid.NewGuid():N}");
        try
        {
            using var writer = ChunkedFileWriter.Create(path, ChunkedFileTestData.KeyFor(encrypted), maxChunkLength: 64 * 1024);
            byte[] data = new byte[1200];
            for (int i = 0; i < 200; i++)
            {
                writer.Write(data);
                writer.SealChunk();
            }
            long allocated = AllocationMeter.Measure(() =>
            {
                for (int i = 0; i < 2000; i++)
                {
                    writer.Write(data);
                    if (i % 10 == 0)
                    {
                        writer.SealChunk();
                    }
                }
            });
            Assert.Equal(0, allocated);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
