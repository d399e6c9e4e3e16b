using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>
    /// A fresh project outside the repository that takes the Shootdown package by version from the local feed, with the strict
    /// settings a real consumer might use (nullable, warnings as errors, documentation, every analyzer at its latest level).
    /// </summary>
    internal sealed class ConsumerProject
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        public ConsumerProject(PackedFeed feed, string name)
        {
            Directory = System.IO.Directory.CreateDirectory(Path.Combine(feed.Root, name)).FullName;
            File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <!-- No <clear/>: the machine's default source stays; the folder feed is added. -->
                  <packageSources>
                    <add key="shootdown-under-test" value="{feed.Feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>true</GenerateDocumentationFile>
                    <AnalysisLevel>latest-all</AnalysisLevel>
                    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                    <RestorePackagesPath>{feed.PackagesCache}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Shootdown" Version="{feed.Version}" />
                  </ItemGroup>
                </Project>
                """);
        }

        public string Directory { get; }

        public ConsumerProject With(string fileName, string text)
        {
            File.WriteAllText(Path.Combine(Directory, fileName), text);
            return this;
        }

        /// <summary>Restores only: a language server loads the project from its assets file and needs no build.</summary>
        public CommandResult Restore(TimeSpan timeout) => Dotnet.Run(Directory, timeout, "restore", "-nodeReuse:false");

        public CommandResult Build() => Dotnet.Run(Directory, Timeout, "build", "-c", "Release", "-nodeReuse:false", "-consoleLoggerParameters:NoSummary");

        /// <summary><c>dotnet format</c> with <paramref name="arguments"/>, on the project in place.</summary>
        public CommandResult Format(params string[] arguments) =>
            Dotnet.Run(Directory, Timeout, new[] { "format" }.Concat(arguments).ToArray());

        public CommandResult Run() => Dotnet.Run(Directory, Timeout, "run", "-c", "Release", "--no-build");

        public IEnumerable<string> GeneratedFiles()
        {
            var generated = Path.Combine(Directory, "obj", "Release", "net10.0", "generated");
            return System.IO.Directory.Exists(generated)
                ? System.IO.Directory.GetFiles(generated, "*.g.cs", SearchOption.AllDirectories)
                : Array.Empty<string>();
        }
    }
}
