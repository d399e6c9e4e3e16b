using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Checked-in expected generator output: <c>Snapshots/&lt;hint name&gt;.verified.cs</c>. A mismatch leaves the actual
    /// text in <c>&lt;hint name&gt;.received.cs</c> beside it; <c>SHOOTDOWN_ACCEPT=1</c> makes the received text the
    /// new verified text.
    /// </summary>
    internal static class Snapshots
    {
        public const string VerifiedSuffix = ".verified.cs";
        public const string ReceivedSuffix = ".received.cs";

        /// <summary>The snapshot folder in the checkout (never the copy in the build output).</summary>
        public static string Directory => RepositoryRoot.Combine("tests", "Shootdown.Generator.Tests", "Snapshots");

        /// <summary>True when the run should accept every received file.</summary>
        public static bool Accepting => Environment.GetEnvironmentVariable("SHOOTDOWN_ACCEPT") == "1";

        /// <summary>Line endings as \n, so a checkout with CRLF conversion compares equal.</summary>
        public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

        public static string VerifiedPath(string hintName) => Path.Combine(Directory, hintName + VerifiedSuffix);

        public static string ReceivedPath(string hintName) => Path.Combine(Directory, hintName + ReceivedSuffix);

        /// <summary>Hint names that have a verified file.</summary>
        public static IEnumerable<string> VerifiedHintNames() =>
            System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.GetFiles(Directory, "*" + VerifiedSuffix)
                    .Select(p => Path.GetFileName(p))
                    .Select(n => n.Substring(0, n.Length - VerifiedSuffix.Length))
                    .OrderBy(n => n, StringComparer.Ordinal)
                : Enumerable.Empty<string>();

        /// <summary>Compares <paramref name="actual"/> with the verified file of <paramref name="hintName"/>, or accepts it.</summary>
        public static void Verify(string hintName, string actual)
        {
            actual = Normalize(actual);
            var verifiedPath = VerifiedPath(hintName);
            var receivedPath = ReceivedPath(hintName);
            var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

            if (verified == actual)
            {
                if (File.Exists(receivedPath)) File.Delete(receivedPath);
                return;
            }
            if (Accepting)
            {
                System.IO.Directory.CreateDirectory(Directory);
                File.WriteAllText(verifiedPath, actual);
                if (File.Exists(receivedPath)) File.Delete(receivedPath);
                return;
            }

            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(receivedPath, actual);
            var message = verified is null
                ? $"No verified snapshot for {hintName}. The output was written to {receivedPath}; review it and rerun with SHOOTDOWN_ACCEPT=1 to accept."
                : $"Generated {hintName} differs from its verified snapshot (received file: {receivedPath}; SHOOTDOWN_ACCEPT=1 accepts):\n"
                    + UnifiedDiff.Create(verified, actual, Path.GetFileName(verifiedPath), Path.GetFileName(receivedPath));
            Assert.Fail(message);
        }
    }
}
