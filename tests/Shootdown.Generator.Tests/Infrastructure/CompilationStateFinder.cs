using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Shootdown.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Looks through a pipeline value for anything tied to one compilation. Such a value never compares equal across
    /// compilations, so a step holding it can never be cached, and it keeps the whole compilation alive.
    /// </summary>
    internal static class CompilationStateFinder
    {
        private static readonly Type[] Forbidden =
        {
            typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel),
            typeof(AttributeData),
        };

        /// <summary>Paths ("value.Model.Descriptor") to every forbidden object or field type reachable from <paramref name="root"/>.</summary>
        public static List<string> Find(object? root, string rootName)
        {
            var found = new List<string>();
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            Walk(root, rootName, found, seen, depth: 0);
            return found;
        }

        private static void Walk(object? value, string path, List<string> found, HashSet<object> seen, int depth)
        {
            if (value is null) return;
            var type = value.GetType();
            if (IsForbidden(type))
            {
                found.Add($"{path} is a {type.FullName}");
                return;
            }
            if (IsLeaf(type)) return;
            if (!type.IsValueType && !seen.Add(value)) return; // a cycle, or shared state already walked
            if (depth > 64)
            {
                found.Add($"{path} nests deeper than 64 levels");
                return;
            }

            if (value is Delegate callback)
            {
                Walk(callback.Target, path + ".Target", found, seen, depth + 1);
                return;
            }

            if (value is Array array)
            {
                var i = 0;
                foreach (var item in array) Walk(item, $"{path}[{i++}]", found, seen, depth + 1);
                return;
            }

            // Every instance field, private ones included: record properties, tuple items, EquatableArray's and
            // ImmutableArray's backing arrays are all fields somewhere up the hierarchy.
            for (var t = type; t != null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    var name = path + "." + Readable(field.Name);
                    if (IsForbidden(field.FieldType))
                    {
                        found.Add($"{name} is declared as {field.FieldType.FullName}");
                        continue;
                    }
                    if (field.FieldType.IsPointer) continue;
                    Walk(field.GetValue(value), name, found, seen, depth + 1);
                }
            }
        }

        private static bool IsForbidden(Type type)
        {
            foreach (var forbidden in Forbidden)
            {
                if (forbidden.IsAssignableFrom(type)) return true;
            }
            return false;
        }

        private static bool IsLeaf(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type.IsPointer
            || typeof(MemberInfo).IsAssignableFrom(type);

        /// <summary>"&lt;Model&gt;k__BackingField" reads as "Model".</summary>
        private static string Readable(string fieldName)
        {
            if (fieldName.StartsWith("<", StringComparison.Ordinal))
            {
                var end = fieldName.IndexOf('>');
                if (end > 1) return fieldName.Substring(1, end - 1);
            }
            return fieldName;
        }
    }
}
