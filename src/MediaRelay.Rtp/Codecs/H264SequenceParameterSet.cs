namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// The picture size an H.264 sequence parameter set announces (ITU-T H.264 §7.3.2.1.1 syntax, §7.4.2.1.1
/// semantics): pic_width_in_mbs, pic_height_in_map_units, frame_mbs_only_flag and the frame cropping rectangle,
/// with CropUnitX/CropUnitY from the chroma format (Table 6-1).
/// </summary>
public static class H264SequenceParameterSet
{
    /// <summary>
    /// Reads width and height from an SPS NAL unit (header byte included, no start code). False for anything that
    /// is not a well-formed SPS; never throws.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> nal, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (nal.Length < 4 || (nal[0] & 0x1F) != 7)
        {
            return false;
        }
        var reader = new H264BitReader(nal[1..]);
        int profile = reader.ReadBits(8);
        reader.ReadBits(16); // constraint flags, level_idc
        reader.ReadUnsignedExpGolomb(); // seq_parameter_set_id
        uint chromaFormat = 1;
        int separateColourPlane = 0;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormat = reader.ReadUnsignedExpGolomb();
            if (chromaFormat > 3)
            {
                return false;
            }
            if (chromaFormat == 3)
            {
                separateColourPlane = reader.ReadBit();
            }
            reader.ReadUnsignedExpGolomb(); // bit_depth_luma_minus8
            reader.ReadUnsignedExpGolomb(); // bit_depth_chroma_minus8
            reader.ReadBit(); // qpprime_y_zero_transform_bypass_flag
            if (reader.ReadBit() == 1) // seq_scaling_matrix_present_flag
            {
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists && !reader.Failed; i++)
                {
                    if (reader.ReadBit() == 1)
                    {
                        SkipScalingList(ref reader, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        reader.ReadUnsignedExpGolomb(); // log2_max_frame_num_minus4
        uint pocType = reader.ReadUnsignedExpGolomb();
        if (pocType == 0)
        {
            reader.ReadUnsignedExpGolomb(); // log2_max_pic_order_cnt_lsb_minus4
        }
        else if (pocType == 1)
        {
            reader.ReadBit(); // delta_pic_order_always_zero_flag
            reader.ReadSignedExpGolomb(); // offset_for_non_ref_pic
            reader.ReadSignedExpGolomb(); // offset_for_top_to_bottom_field
            uint cycle = reader.ReadUnsignedExpGolomb();
            if (cycle > 255)
            {
                return false;
            }
            for (uint i = 0; i < cycle && !reader.Failed; i++)
            {
                reader.ReadSignedExpGolomb();
            }
        }
        else if (pocType > 2)
        {
            return false;
        }
        reader.ReadUnsignedExpGolomb(); // max_num_ref_frames
        reader.ReadBit(); // gaps_in_frame_num_value_allowed_flag
        uint widthInMbs = reader.ReadUnsignedExpGolomb() + 1;
        uint heightInMapUnits = reader.ReadUnsignedExpGolomb() + 1;
        int frameMbsOnly = reader.ReadBit();
        if (frameMbsOnly == 0)
        {
            reader.ReadBit(); // mb_adaptive_frame_field_flag
        }
        reader.ReadBit(); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (reader.ReadBit() == 1)
        {
            cropLeft = reader.ReadUnsignedExpGolomb();
            cropRight = reader.ReadUnsignedExpGolomb();
            cropTop = reader.ReadUnsignedExpGolomb();
            cropBottom = reader.ReadUnsignedExpGolomb();
        }
        if (reader.Failed || widthInMbs > 1024 || heightInMapUnits > 1024)
        {
            return false;
        }

        uint chromaArrayType = separateColourPlane == 1 ? 0 : chromaFormat;
        long cropUnitX = chromaArrayType == 0 ? 1 : chromaArrayType == 3 ? 1 : 2;
        long cropUnitY = (chromaArrayType == 0 ? 1 : chromaArrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long w = (widthInMbs * 16L) - (cropUnitX * ((long)cropLeft + cropRight));
        long h = ((2 - frameMbsOnly) * heightInMapUnits * 16L) - (cropUnitY * ((long)cropTop + cropBottom));
        if (w <= 0 || h <= 0)
        {
            return false;
        }
        width = (int)w;
        height = (int)h;
        return true;
    }

    // §7.3.2.1.1.1 scaling_list(): only skipped.
    private static void SkipScalingList(ref H264BitReader reader, int size)
    {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && !reader.Failed; j++)
        {
            if (nextScale != 0)
            {
                int delta = reader.ReadSignedExpGolomb();
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }
}
