using System;
using System.IO;
using System.Linq;
using Shootdown.Package.Tests.Harness;

namespace Shootdown.Package.Tests
{
    /// <summary>The README's commands: long runs in Release, and the long property run with its command.</summary>
    public sealed class ReadmeTests
    {
        private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));

        [Fact]
        public void Every_exploring_check_command_in_the_README_runs_in_Release()
        {
            // A replay is one execution; every other check explores, and Debug is about 2.3 times slower.
            var checks = Lines.Where(l => l.Contains("dotnet run", StringComparison.Ordinal) && l.Contains("-- check", StringComparison.Ordinal)
                && !l.Contains("--replay", StringComparison.Ordinal)).ToList();
            Assert.True(checks.Count >= 3, "the README shows too few check commands");
            Assert.All(checks, l => Assert.Contains("-c Release", l, StringComparison.Ordinal));
            Assert.Contains(Lines, l => l.Contains("Use `-c Release` for `check`", StringComparison.Ordinal));
        }

        [Fact]
        public void The_README_documents_the_long_property_run_with_its_command()
        {
            var command = Lines.SingleOrDefault(l => l.StartsWith("SHOOTDOWN_FUZZ=20000 dotnet test", StringComparison.Ordinal));
            Assert.True(command != null, "no long-run command in the README");
            Assert.Contains("-c Release", command, StringComparison.Ordinal);
            Assert.Contains(Lines, l => l.Contains("SHOOTDOWN_FUZZ_SEED", StringComparison.Ordinal));
        }
    }
}
