// Ctrl-C and SIGTERM: finish nothing half-way. The handler only sets a flag; the render checks it
// between utterances and unwinds, so every temporary file is removed by its owner on the way out.
#pragma once

namespace troupe {

// Installs the SIGINT and SIGTERM handlers (inherited by forked workers).
void install_interrupt_handlers();

// Whether SIGINT or SIGTERM has arrived.
bool interrupted();

// Throws RenderError("interrupted") once a signal has arrived.
void throw_if_interrupted();

}  // namespace troupe
