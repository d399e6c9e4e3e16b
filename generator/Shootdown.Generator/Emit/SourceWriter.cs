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
            _text.Append(' ', _depth * 4);
            AppendOneLine(line);
            _text.Append('\n');
            return this;
        }

        /// <summary>
        /// Appends <paramref name="line"/> with every character that could end a line or break a comment's XML
        /// (controls, U+0085, U+2028, U+2029) written as a \uXXXX escape: user text such as an architecture name must
        /// never end a comment early or start a line of code.
        /// </summary>
        private void AppendOneLine(string line)
        {
            foreach (var c in line)
            {
                if ((char.IsControl(c) && c != '\t') || c == '\u0085' || c == '\u2028' || c == '\u2029')
                    _text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                else
                    _text.Append(c);
            }
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
