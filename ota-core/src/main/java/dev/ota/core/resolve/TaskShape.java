package dev.ota.core.resolve;

import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Task;

/**
 * Where a task runs once contexts are resolved.
 *
 * @param contextName the context in effect (task's own or the default), or null in legacy mode
 * @param context the resolved context, or null (legacy mode, or the context does not exist)
 * @param backend {@code native}, {@code container} or {@code remote}
 * @param lifecycle resolved lifecycle, or null
 * @param binding the shared backend the task's runtime binds to, or null
 */
public record TaskShape(
        Task task, String contextName, ResolvedContext context, String backend, String lifecycle, SharedBackend binding) {

    public String bindingName() {
        return binding == null ? null : binding.name();
    }

    /** Both tasks bind the same declared shared backend. */
    public boolean sharesBindingWith(TaskShape other) {
        return binding != null && other.binding != null && binding.name().equals(other.binding.name());
    }
}
