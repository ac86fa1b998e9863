// Atomic file replacement: write a sibling temporary file, flush it, rename it over the
// target. Readers see the old file or the new one, never a mix. And bounded whole-file
// reads that refuse what is not a regular file (a FIFO would block forever).
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

// The most a text file of a preset or a run folder may hold; far above any real one, low
// enough that a hostile file cannot make a reader allocate without bound.
constexpr std::uint64_t kMaxTextFileBytes = 64ull << 20;

// Throws InputError naming the path when the file cannot be written (a full disk, no
// permission); the temporary file is removed then, and the old file stays as it was.
void writeFileAtomically(const std::string& path, const std::string& contents);

// Reads a whole regular file of at most `maxBytes`; throws InputError naming the path and
// the reason (missing, no permission, not a regular file, too large) when it cannot.
std::string readFileBounded(const std::string& path, std::uint64_t maxBytes);

// readFileBounded with kMaxTextFileBytes.
std::string readTextFile(const std::string& path);

// Removes temporary files left in `folder` by writeFileAtomically in a process that no
// longer runs (its PID is in the name and no such process exists). Returns how many.
int removeStaleTemporaries(const std::string& folder);

} // namespace atelier
