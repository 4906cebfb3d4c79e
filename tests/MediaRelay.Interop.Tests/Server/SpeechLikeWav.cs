namespace MediaRelay.Interop.Tests.Server;

/// <summary>
/// Writes a WAV file that sounds like someone talking to a level meter: voiced "syllables" (a 140 Hz fundamental with
/// harmonics) of 120-300 ms separated by 40-120 ms gaps. Chromium plays it as the fake microphone
/// (--use-file-for-fake-audio-capture), where the default fake device only beeps briefly once a second.
/// </summary>
public static class SpeechLikeWav
{
    public static string Create(string directory, int seconds = 20, int sampleRate = 48000)
    {
        var random = new Random(11);
        int total = seconds * sampleRate;
        var samples = new short[total];
        int i = 0;
        while (i < total)
        {
            int syllable = sampleRate * random.Next(120, 300) / 1000;
            double pitch = 120 + random.Next(0, 60);
            for (int n = 0; n < syllable && i < total; n++, i++)
            {
                double t = (double)n / sampleRate;
                double envelope = Math.Sin(Math.PI * n / syllable);
                double voice = Math.Sin(2 * Math.PI * pitch * t) + 0.5 * Math.Sin(4 * Math.PI * pitch * t)
                    + 0.25 * Math.Sin(6 * Math.PI * pitch * t);
                samples[i] = (short)(envelope * voice * 9000);
            }
            i += sampleRate * random.Next(40, 120) / 1000; // silence between syllables
        }
        string path = Path.Combine(directory, "speech-like.wav");
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (total * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);        // PCM
        writer.Write((short)1);        // mono
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);  // byte rate
        writer.Write((short)2);        // block align
        writer.Write((short)16);       // bits per sample
        writer.Write("data"u8);
        writer.Write(total * 2);
        foreach (short s in samples)
        {
            writer.Write(s);
        }
        return path;
    }
}
