using System.Runtime.CompilerServices;

// The code fixes find attributes and their arguments with the same reader and locator as the analyzer.
[assembly: InternalsVisibleTo("Shootdown.CodeFixes")]
