// Private to core: mixed precision for the forward passes made while an AutocastScope lives.
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace atelier {

// Turns LibTorch's autocast on for `device`'s type with bfloat16, on this thread, and
// restores the previous state when it ends, as Python's `torch.autocast` does. Ending the
// outermost scope empties autocast's cache of low-precision weight copies: a copy kept past
// an optimizer step would be the old weights.
class AutocastScope
{
public:
    explicit AutocastScope(const c10::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    c10::DeviceType m_type;
    bool m_wasEnabled;
    c10::ScalarType m_previousType;
};

// Whether autocast is on for `device`'s type on this thread, under either LibTorch API.
bool autocastEnabled(const c10::Device& device);

} // namespace atelier
