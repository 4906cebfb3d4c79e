using System.Runtime.CompilerServices;

// Hot-path stackalloc buffers (IVs, nonces, MACs) are always fully written before use.
[module: SkipLocalsInit]
