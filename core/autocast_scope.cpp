// LibTorch's autocast switches, which were renamed in 2.4 (one pair per device type).
#include "internal/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace atelier {
namespace {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool isEnabled(c10::DeviceType type)
{
    return at::autocast::is_autocast_enabled(type);
}
void setEnabled(c10::DeviceType type, bool on)
{
    at::autocast::set_autocast_enabled(type, on);
}
c10::ScalarType lowType(c10::DeviceType type)
{
    return at::autocast::get_autocast_dtype(type);
}
void setLowType(c10::DeviceType type, c10::ScalarType t)
{
    at::autocast::set_autocast_dtype(type, t);
}
#else
bool isEnabled(c10::DeviceType type)
{
    return type == c10::DeviceType::CUDA ? at::autocast::is_enabled()
                                         : at::autocast::is_cpu_enabled();
}
void setEnabled(c10::DeviceType type, bool on)
{
    if (type == c10::DeviceType::CUDA)
        at::autocast::set_enabled(on);
    else
        at::autocast::set_cpu_enabled(on);
}
c10::ScalarType lowType(c10::DeviceType type)
{
    return type == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype()
                                         : at::autocast::get_autocast_cpu_dtype();
}
void setLowType(c10::DeviceType type, c10::ScalarType t)
{
    if (type == c10::DeviceType::CUDA)
        at::autocast::set_autocast_gpu_dtype(t);
    else
        at::autocast::set_autocast_cpu_dtype(t);
}
#endif

} // namespace

AutocastScope::AutocastScope(const c10::Device& device)
    : m_type(device.is_cuda() ? c10::DeviceType::CUDA : c10::DeviceType::CPU),
      m_wasEnabled(isEnabled(m_type)), m_previousType(lowType(m_type))
{
    setLowType(m_type, c10::ScalarType::BFloat16);
    setEnabled(m_type, true);
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setEnabled(m_type, m_wasEnabled);
    setLowType(m_type, m_previousType);
}

bool autocastEnabled(const c10::Device& device)
{
    return isEnabled(device.is_cuda() ? c10::DeviceType::CUDA : c10::DeviceType::CPU);
}

} // namespace atelier
