import { ISynthesisSession, NestedStack } from 'aws-cdk-lib';

/**
 * The nested stack of one namespace shard (`layout: nested`): an aws-cdk-lib `NestedStack` that
 * resolves its template once per synthesis instead of twice.
 *
 * aws-cdk-lib resolves a nested stack's template when it prepares the app (to hash it for the
 * template asset) and again when it writes it; nothing may change the template in between (the
 * hash names the file), so the template written is the one prepared. With thousands of roles that
 * second resolution is a good part of synthesis. When aws-cdk-lib does anything else (no
 * preparation first, a second synthesis of the same app), the template is resolved as usual.
 */
export class NamespaceStack extends NestedStack {
  private preparing = false;
  private writing = false;
  private prepared?: any;

  /** @internal */
  public _prepareTemplateAsset(): boolean {
    this.preparing = true;
    try {
      return super._prepareTemplateAsset();
    } finally {
      this.preparing = false;
    }
  }

  /** @internal */
  public _synthesizeTemplate(session: ISynthesisSession, ...rest: any[]): void {
    this.writing = true;
    try {
      (super._synthesizeTemplate as any)(session, ...rest);
    } finally {
      this.writing = false;
      // the template is on disk: nothing holds it any longer
      this.prepared = undefined;
    }
  }

  /** @internal */
  protected _toCloudFormation(): any {
    if (this.writing && this.prepared !== undefined) return this.prepared;
    const template = super._toCloudFormation();
    if (this.preparing) this.prepared = template;
    return template;
  }
}
