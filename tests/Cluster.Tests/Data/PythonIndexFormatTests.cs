using Cluster.Training.Data.Transforms;

namespace Cluster.Tests.Data;

public class PythonIndexFormatTests
{
    [Theory]
    [InlineData("img_{:05}.jpg", 7, "img_00007.jpg")]
    [InlineData("img_{:05d}.jpg", 123456, "img_123456.jpg")]
    [InlineData("{}.png", 42, "42.png")]
    [InlineData("f{:4}.jpg", 3, "f   3.jpg")]
    public void Formats_like_python_str_format(string template, int value, string expected) =>
        Assert.Equal(expected, PythonIndexFormat.Format(template, value));

    [Fact]
    public void Template_without_a_field_is_rejected()
    {
        var error = Assert.Throws<FormatException>(() => PythonIndexFormat.Format("img.jpg", 1));
        Assert.Contains("img.jpg", error.Message);
    }
}
