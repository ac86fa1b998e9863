// Exception types that separate the user's bad input (exit code 2 in the CLI, a message in
// the GUI) from internal failures (exit code 1).
#pragma once

#include <stdexcept>
#include <string>

namespace atelier {

// Something the user supplied is wrong: a file, a preset, a model, an option value.
// The message names what is wrong and where, in one line.
class InputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A data file (IDX, gzip) is missing, unreadable or malformed.
class DataError : public InputError
{
public:
    using InputError::InputError;
};

// A model stack that cannot be built: the message names the layer and the reason.
class ModelError : public InputError
{
public:
    using InputError::InputError;
};

} // namespace atelier
