// Private to core: what is checked in an image file before stb_image decodes it. stb fills
// what a truncated JPEG or BMP lacks with grey instead of failing, and Debian's version has
// a JPEG Huffman-table overflow; these checks turn both into refusals. Torch-free.
#pragma once

#include <string>

namespace atelier {

enum class ImageFileKind
{
    Png,
    Jpeg,
    Bmp,
    Other,
};

ImageFileKind imageFileKind(const std::string& bytes);

// Empty when the file's structure is sound enough to hand to stb_image; otherwise the reason,
// to follow "FILE: " in a message.
std::string imageStructureProblem(const std::string& bytes, ImageFileKind kind);

} // namespace atelier
