namespace Shootdown.Kernel
{
    /// <summary>The Linux error numbers the address-space operations return (negated, as the kernel does).</summary>
    public static class Errno
    {
        /// <summary>Out of memory.</summary>
        public const int ENOMEM = 12;
        /// <summary>Bad address.</summary>
        public const int EFAULT = 14;
        /// <summary>Invalid argument.</summary>
        public const int EINVAL = 22;
        /// <summary>Value too large (a range that wraps).</summary>
        public const int EOVERFLOW = 75;
    }
}
