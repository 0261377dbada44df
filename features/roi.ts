import type { Vec3 } from '../src/image';

/**
 * The region of interest as the feature classes see it, after preprocessing: a block of voxels
 * (x fastest), the ROI membership of each voxel, and for texture classes the discretised gray
 * level of each ROI voxel (1-based bin index as PyRadiomics' `binImage` gives; 0 outside the
 * ROI).
 */
export interface DiscretisedRoi {
  size: Vec3;
  spacing: Vec3;
  /** 1 for voxels in the ROI, 0 elsewhere. */
  mask: Uint8Array;
  /** Discretised gray level (1..) of ROI voxels; 0 outside the ROI. */
  levels: Int32Array;
}

/** Settings that the texture classes take, under PyRadiomics' names. */
export interface TextureSettings {
  /** Neighbour distances (Chebyshev, in voxels); PyRadiomics default [1]. */
  distances: number[];
  /** GLCM: count each pair in both directions; default true. */
  symmetricalGLCM: boolean;
  /** GLCM/GLRLM: how per-direction matrices are weighted and merged; default null (average of per-angle features). */
  weightingNorm: null | 'manhattan' | 'euclidean' | 'infinity' | 'no_weighting';
  /** Texture neighbourhoods stay within slices of the `force2Ddimension` axis (0 = z / axial). */
  force2D: boolean;
  force2Ddimension: 0 | 1 | 2;
  /** GLDM: coarseness parameter alpha; default 0. */
  gldm_a: number;
}

export const DEFAULT_TEXTURE_SETTINGS: TextureSettings = {
  distances: [1],
  symmetricalGLCM: true,
  weightingNorm: null,
  force2D: false,
  force2Ddimension: 0,
  gldm_a: 0,
};
