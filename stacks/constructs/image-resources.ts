// One docker_image per distinct image reference. keep_locally: destroy never deletes images (an
// air-gapped host could not pull them again). The provider inspects the local image store first
// and pulls only when the reference is missing, so images loaded with `docker load` are used as-is.
import { Construct } from 'constructs';
import { Image } from '@cdktf/provider-docker/lib/image/index.js';

export interface ImagesProps {
  /** Image references, e.g. `temporalio/server:1.31.2`; duplicates share one resource. */
  readonly references: readonly string[];
}

export class Images extends Construct {
  private readonly byRef = new Map<string, Image>();

  constructor(scope: Construct, id: string, props: ImagesProps) {
    super(scope, id);
    for (const ref of props.references) this.ensure(ref);
  }

  /**
   * The image by its registry digest (`repo@sha256:...`), as a swarm service runs it: the swarm pins
   * a tag to its digest, and the plan then compares like with like; a new digest rolls the service.
   */
  repoDigestFor(reference: string): string {
    return this.ensure(reference).repoDigest;
  }

  /** The image id a container runs (ties the container to the image resource). */
  idFor(reference: string): string {
    return this.ensure(reference).imageId;
  }

  private ensure(ref: string): Image {
    let image = this.byRef.get(ref);
    if (!image) {
      const id = `image_${ref.replace(/[^A-Za-z0-9]+/g, '_')}`;
      image = new Image(this, id, { name: ref, keepLocally: true });
      image.overrideLogicalId(id);
      this.byRef.set(ref, image);
    }
    return image;
  }
}
