package io.layerwise.checkpoints.bundle;

/**
 * One affine map {@code y = x W^T + b} in PyTorch's {@code nn.Linear} layout, so a bundle's tensors
 * load into {@code torch.nn.Linear} unchanged.
 *
 * @param weight {@code [out][in]}
 * @param bias {@code [out]}
 */
public record AffineLayer(float[][] weight, float[] bias) {
    public AffineLayer {
        if (weight.length == 0 || weight.length != bias.length) {
            throw new IllegalArgumentException("weight has " + weight.length + " rows but bias " + bias.length + " entries");
        }
    }

    public int inputs() {
        return weight[0].length;
    }

    public int outputs() {
        return weight.length;
    }
}
