using System.Text;

namespace Shootdown.Generator.Emit
{
    /// <summary>A string builder that keeps indentation, so emitters read like the code they write.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public SourceWriter Line(string line = "")
        {
            if (line.Length == 0)
            {
                _text.Append('\n');
                return this;
            }
            _text.Append(' ', _depth * 4).Append(line).Append('\n');
            return this;
        }

        public SourceWriter Open(string line)
        {
            Line(line);
            Line("{");
            _depth++;
            return this;
        }

        public SourceWriter Close(string suffix = "")
        {
            _depth--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>Writes each line of <paramref name="text"/> as a <c>//</c> comment.</summary>
        public SourceWriter Comment(string text)
        {
            foreach (var line in text.Split('\n')) Line(line.Length == 0 ? "//" : "// " + line);
            return this;
        }

        public override string ToString() => _text.ToString();
    }
}
