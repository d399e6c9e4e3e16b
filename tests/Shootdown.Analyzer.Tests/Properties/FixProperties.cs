using System;
using System.Threading;
using Xunit.Abstractions;

namespace Shootdown.Analyzer.Tests.Properties
{
    /// <summary>
    /// Every fix the fixer offers, on generated programs (<see cref="FixCaseGen"/>), each applied on its own: the fixed
    /// program compiles with its generated code (no compiler error the original had not), the diagnostic it fixed is gone
    /// from its class, and no SHD error appears. The cases are the seeded ones of <see cref="SeededCases"/>.
    /// </summary>
    public sealed class FixProperties
    {
        private readonly ITestOutputHelper _output;

        public FixProperties(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Every_fix_compiles_removes_its_diagnostic_and_adds_no_SHD_error()
        {
            var applied = 0;
            var summary = SeededCases.Run(FixCaseGen.FixCase, c =>
            {
                var (failures, count) = FixJudgement.JudgeAsync(c.Files()).GetAwaiter().GetResult();
                Interlocked.Add(ref applied, count);
                if (failures.Count > 0) throw new InvalidOperationException(string.Join("\n", failures));
            }, c => "\n" + c);
            _output.WriteLine($"{summary}; {applied} fixes applied");
            // A generator that stopped reaching the fixable rules would pass vacuously.
            Assert.True(applied >= SeededCases.Cases / 4, $"only {applied} fixes applied over {summary}");
        }
    }
}
