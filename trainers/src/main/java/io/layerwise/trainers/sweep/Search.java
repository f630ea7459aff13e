package io.layerwise.trainers.sweep;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;

/**
 * How candidates are generated, one of two Arbiter generators: a grid over every field
 * ({@code discretization} points per continuous range) or a seeded random search with a candidate budget.
 *
 * <pre>
 * generator: {grid: {discretization: 5}}
 * generator: {random: {candidates: 20, seed: 42}}
 * </pre>
 *
 * @param grid the grid search, or null
 * @param random the random search, or null
 */
public record Search(Grid grid, Random random) {

    /** @param discretization points per continuous range (default 5; at least 2) */
    public record Grid(Integer discretization) {
        public Grid {
            discretization = ConfigDefaults.positive("discretization", discretization, 5);
            if (discretization < 2) {
                throw new ConfigFieldException("discretization", "must be at least 2 (both ends of a range), got " + discretization);
            }
        }
    }

    /**
     * @param candidates how many candidates to draw (required)
     * @param seed the generator's seed (default 42): the same seed draws the same candidates
     */
    public record Random(Integer candidates, Long seed) {
        public Random {
            if (candidates == null) {
                throw new ConfigFieldException("candidates", "is required: how many candidates to draw");
            }
            candidates = ConfigDefaults.positive("candidates", candidates, 1);
            seed = seed == null ? 42L : seed;
        }
    }

    public Search {
        if ((grid == null) == (random == null)) {
            throw new ConfigFieldException(null, "give exactly one of grid: {discretization: N} or random: {candidates: N, seed: S}");
        }
    }
}
