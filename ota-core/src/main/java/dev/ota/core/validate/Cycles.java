package dev.ota.core.validate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds cycles in a small directed graph; each cycle is reported once, starting at its first node in input order. */
public final class Cycles {

    private Cycles() {}

    public static List<List<String>> find(Collection<String> nodes, Map<String, List<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // 0 new, 1 on stack, 2 done
        List<List<String>> cycles = new ArrayList<>();
        for (String node : nodes) {
            if (state.getOrDefault(node, 0) == 0) {
                visit(node, edges, state, new ArrayList<>(), cycles);
            }
        }
        return cycles;
    }

    private static void visit(String node, Map<String, List<String>> edges, Map<String, Integer> state,
            List<String> stack, List<List<String>> cycles) {
        state.put(node, 1);
        stack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            int s = state.getOrDefault(next, 0);
            if (s == 0) {
                visit(next, edges, state, stack, cycles);
            } else if (s == 1) {
                cycles.add(new ArrayList<>(stack.subList(stack.indexOf(next), stack.size())));
            }
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
    }
}
