// Atomic file replacement: write a sibling temporary file, flush it, rename it over the
// target. Readers see the old file or the new one, never a mix.
#pragma once

#include <string>

namespace atelier {

// Throws InputError naming the path when the file cannot be written.
void writeFileAtomically(const std::string& path, const std::string& contents);

// Reads a whole file; throws InputError naming the path when it cannot.
std::string readTextFile(const std::string& path);

} // namespace atelier
