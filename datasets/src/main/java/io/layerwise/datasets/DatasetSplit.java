package io.layerwise.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Items with the {@link Split} each one was given, in the items' original order: {@code splits().get(i)}
 * is the split of {@code items().get(i)}. Keeping the original order (rather than three shuffled lists)
 * lets an activation store write rows in file order and record each row's split next to its label.
 *
 * @param items the items, in the order they were split
 * @param splits the split of each item, parallel to {@code items}
 * @param <T> item type
 */
public record DatasetSplit<T>(List<T> items, List<Split> splits) {

    public DatasetSplit {
        items = List.copyOf(items);
        splits = List.copyOf(splits);
        if (items.size() != splits.size()) {
            throw new IllegalArgumentException(items.size() + " items but " + splits.size() + " splits");
        }
    }

    /** The items of one split, in original order. */
    public List<T> itemsIn(Split split) {
        List<T> selected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (splits.get(i) == split) {
                selected.add(items.get(i));
            }
        }
        return List.copyOf(selected);
    }

    /** How many items one split holds. */
    public int count(Split split) {
        return (int) splits.stream().filter(s -> s == split).count();
    }
}
