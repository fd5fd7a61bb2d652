/** Reads a MeMo element tree into the typed MemoMessage model. */
import { MemoError } from './memo-errors.ts';
import {
  MEMO_ACTION_CODES,
  type MemoAction,
  type MemoAddress,
  type MemoAttentionData,
  type MemoBody,
  type MemoContactPoint,
  type MemoContentData,
  type MemoDocument,
  type MemoFile,
  type MemoForwardData,
  type MemoMessage,
  type MemoMessageType,
  type MemoProductionUnit,
  type MemoRecipient,
  type MemoReplyData,
  type MemoSender,
} from './memo-model.ts';
import type { XmlElement } from './xml-tree.ts';

/** The namespaces of MeMo 1.1/1.2, by the prefixes the official examples and toMemoXml use. */
export const MEMO_NAMESPACES = {
  memo: 'https://DigitalPost.dk/MeMo-1',
  grd: 'https://data.gov.dk/model/core/',
  kle: 'http://kle-online.dk/',
  form: 'http://www.form-online.dk/',
  dmv: 'https://motorregister.skat.dk/',
  gln: 'https://www.gs1.dk/gs1-standarder/identifikation/gln-global-location-number/',
  udd: 'https://www.dst.dk/da/TilSalg/Forskningsservice/Dokumentation/hoejkvalitetsvariable/elevregister-2/udd#',
  sor: 'https://services.nsi.dk/en/Services/SOR',
} as const;
type Prefix = keyof typeof MEMO_NAMESPACES;

/** A child element named "prefix:local". */
function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => matches(c, name));
}

function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => matches(c, name)) ?? [];
}

function matches(el: XmlElement, name: string): boolean {
  const [prefix, local] = name.split(':') as [Prefix, string];
  return el.local === local && el.ns === MEMO_NAMESPACES[prefix];
}

/** Removes undefined-valued properties, so absent elements are absent properties (deep-equal round trips). */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

class Reader {
  readonly warnings: string[] = [];

  /** Text of an optional child element. */
  opt(el: XmlElement | undefined, name: string): string | undefined {
    return child(el, name)?.text;
  }

  /** Text of a child element the schema requires; only missing in documents that skipped schema validation. */
  req(el: XmlElement, name: string): string {
    const found = child(el, name);
    if (!found) {
      throw new MemoError('memo_invalid', `The MeMo element ${el.local} lacks its required child ${name}.`, [
        { line: 0, element: name, message: `Missing required element ${name} in ${el.local}.` },
      ]);
    }
    return found.text;
  }

  bool(el: XmlElement, name: string): boolean | undefined {
    const text = this.opt(el, name)?.trim();
    return text === undefined ? undefined : text === 'true' || text === '1';
  }

  message(root: XmlElement): MemoMessage {
    const header = child(root, 'memo:MessageHeader');
    if (!header) throw new MemoError('memo_invalid', 'The MeMo message has no MessageHeader.');
    const sender = child(header, 'memo:Sender');
    const recipient = child(header, 'memo:Recipient');
    if (!sender || !recipient) throw new MemoError('memo_invalid', 'The MeMo message lacks its Sender or Recipient.');
    const body = child(root, 'memo:MessageBody');
    const contentData = child(header, 'memo:ContentData');
    const forwardData = child(header, 'memo:ForwardData');
    return defined({
      messageType: this.req(header, 'memo:messageType').trim() as MemoMessageType,
      messageUUID: this.req(header, 'memo:messageUUID'),
      messageID: this.opt(header, 'memo:messageID'),
      messageCode: this.opt(header, 'memo:messageCode'),
      label: this.req(header, 'memo:label'),
      notification: this.opt(header, 'memo:notification'),
      additionalNotification: this.opt(header, 'memo:additionalNotification'),
      reply: this.bool(header, 'memo:reply'),
      replyByDateTime: this.opt(header, 'memo:replyByDateTime')?.trim(),
      doNotDeliverUntilDate: this.opt(header, 'memo:doNotDeliverUntilDate')?.trim(),
      mandatory: this.bool(header, 'memo:mandatory'),
      legalNotification: this.bool(header, 'memo:legalNotification'),
      postType: this.opt(header, 'memo:postType'),
      sender: this.sender(sender),
      recipient: this.recipient(recipient),
      contentData: contentData && this.contentData(contentData),
      forwardData: forwardData && this.forwardData(forwardData),
      replyData: childrenNamed(header, 'memo:ReplyData').map((r) => this.replyData(r)),
      body: body && this.body(body),
    });
  }

  sender(el: XmlElement): MemoSender {
    const representative = child(el, 'memo:Representative');
    return defined({
      senderID: this.req(el, 'memo:senderID'),
      idType: this.req(el, 'memo:idType'),
      idTypeLabel: this.opt(el, 'memo:idTypeLabel'),
      label: this.req(el, 'memo:label'),
      attentionData: this.attentionData(child(el, 'memo:AttentionData')),
      contactPoint: this.contactPoint(child(el, 'memo:ContactPoint')),
      representative:
        representative &&
        defined({
          representativeID: this.req(representative, 'memo:representativeID'),
          idType: this.req(representative, 'memo:idType'),
          idTypeLabel: this.opt(representative, 'memo:idTypeLabel'),
          label: this.req(representative, 'memo:label'),
        }),
    });
  }

  recipient(el: XmlElement): MemoRecipient {
    return defined({
      recipientID: this.req(el, 'memo:recipientID'),
      idType: this.req(el, 'memo:idType'),
      idTypeLabel: this.opt(el, 'memo:idTypeLabel'),
      label: this.opt(el, 'memo:label'),
      attentionData: this.attentionData(child(el, 'memo:AttentionData')),
      contactPoint: this.contactPoint(child(el, 'memo:ContactPoint')),
    });
  }

  /** Optional pair of a required key element and an optional second one, e.g. EMail (emailAddress, relatedAgent). */
  pair<K extends string, O extends string>(el: XmlElement | undefined, key: K, optional: O, prefix: Prefix) {
    if (!el) return undefined;
    return defined({
      [key]: this.req(el, `${prefix}:${key}`),
      [optional]: this.opt(el, `${prefix}:${optional}`),
    }) as { [P in K]: string } & { [P in O]?: string };
  }

  attentionData(el: XmlElement | undefined): MemoAttentionData | undefined {
    if (!el) return undefined;
    const person = child(el, 'memo:AttentionPerson');
    const responsible = child(el, 'memo:ContentResponsible');
    return defined({
      attentionPerson:
        person && defined({ personID: this.opt(person, 'memo:personID'), label: this.opt(person, 'memo:label') }),
      productionUnit: this.productionUnit(child(el, 'grd:ProductionUnit')),
      globalLocationNumber: this.pair(child(el, 'gln:GlobalLocationNumber'), 'globalLocationNumber', 'location', 'gln'),
      email: this.pair(child(el, 'memo:EMail'), 'emailAddress', 'relatedAgent', 'memo'),
      seNumber: this.pair(child(el, 'grd:SEnumber'), 'seNumber', 'companyName', 'grd'),
      telephone: this.pair(child(el, 'memo:Telephone'), 'telephoneNumber', 'relatedAgent', 'memo'),
      eid: this.pair(child(el, 'grd:EID'), 'eID', 'label', 'grd'),
      contentResponsible:
        responsible &&
        defined({
          contentResponsibleID: this.opt(responsible, 'memo:contentResponsibleID'),
          label: this.opt(responsible, 'memo:label'),
        }),
      generatingSystem: this.pair(child(el, 'memo:GeneratingSystem'), 'generatingSystemID', 'label', 'memo'),
      sorData: this.pair(child(el, 'sor:SORdata'), 'sorIdentifier', 'entryName', 'sor'),
      address: this.address(child(el, 'grd:Address')),
      unstructuredAddress: this.opt(child(el, 'grd:UnstructuredAddress'), 'grd:unstructured'),
    });
  }

  productionUnit(el: XmlElement | undefined): MemoProductionUnit | undefined {
    return this.pair(el, 'productionUnitNumber', 'productionUnitName', 'grd');
  }

  address(el: XmlElement | undefined): MemoAddress | undefined {
    if (!el) return undefined;
    const point = child(el, 'grd:AddressPoint');
    const fields = ['id', 'addressLabel', 'houseNumber', 'door', 'floor', 'co', 'zipCode', 'city', 'country'] as const;
    const address: MemoAddress = {};
    for (const field of fields) address[field] = this.opt(el, `grd:${field}`);
    address.addressPoint =
      point &&
      defined({
        geographicEastingMeasure: this.opt(point, 'grd:geographicEastingMeasure'),
        geographicNorthingMeasure: this.opt(point, 'grd:geographicNorthingMeasure'),
        geographicHeightMeasure: this.opt(point, 'grd:geographicHeightMeasure'),
      });
    return defined(address);
  }

  contactPoint(el: XmlElement | undefined): MemoContactPoint | undefined {
    if (!el) return undefined;
    return defined({
      contactGroup: this.opt(el, 'memo:contactGroup'),
      contactPointID: this.req(el, 'memo:contactPointID'),
      label: this.opt(el, 'memo:label'),
      contactInfo: childrenNamed(el, 'memo:ContactInfo').map((c) => ({
        label: this.req(c, 'memo:label'),
        value: this.req(c, 'memo:value'),
      })),
    });
  }

  contentData(el: XmlElement): MemoContentData {
    const caseID = child(el, 'memo:CaseID');
    const kle = child(el, 'kle:KLEdata');
    const form = child(el, 'form:FORMdata');
    return defined({
      cprData: this.pair(child(el, 'grd:CPRdata'), 'cprNumber', 'name', 'grd'),
      cvrData: this.pair(child(el, 'grd:CVRdata'), 'cvrNumber', 'companyName', 'grd'),
      motorVehicle: this.pair(child(el, 'dmv:MotorVehicle'), 'licenseNumber', 'chassisNumber', 'dmv'),
      propertyNumber: this.opt(child(el, 'grd:PropertyNumber'), 'grd:propertyNumber'),
      caseID: caseID && { caseID: this.req(caseID, 'memo:caseID'), caseSystem: this.req(caseID, 'memo:caseSystem') },
      kle:
        kle &&
        defined({
          subjectKey: this.req(kle, 'kle:subjectKey'),
          version: this.req(kle, 'kle:version'),
          activityFacet: this.opt(kle, 'kle:activityFacet'),
          label: this.req(kle, 'kle:label'),
        }),
      form:
        form &&
        defined({
          taskKey: this.req(form, 'form:taskKey'),
          version: this.req(form, 'form:version'),
          activityFacet: this.opt(form, 'form:activityFacet'),
          label: this.req(form, 'form:label'),
        }),
      productionUnit: this.productionUnit(child(el, 'grd:ProductionUnit')),
      education: this.pair(child(el, 'udd:Education'), 'educationCode', 'educationName', 'udd'),
      address: this.address(child(el, 'grd:Address')),
      unstructuredAddress: this.opt(child(el, 'grd:UnstructuredAddress'), 'grd:unstructured'),
      additionalContentData: childrenNamed(el, 'memo:AdditionalContentData').map((a) =>
        defined({
          contentDataType: this.opt(a, 'memo:contentDataType'),
          contentDataName: this.req(a, 'memo:contentDataName'),
          contentDataValue: this.req(a, 'memo:contentDataValue'),
        }),
      ),
    });
  }

  forwardData(el: XmlElement): MemoForwardData {
    return defined({
      messageUUID: this.req(el, 'memo:messageUUID'),
      originalMessageDateTime: this.req(el, 'memo:originalMessageDateTime').trim(),
      originalSender: this.req(el, 'memo:originalSender'),
      originalContentResponsible: this.opt(el, 'memo:originalContentResponsible'),
      originalRepresentative: this.opt(el, 'memo:originalRepresentative'),
      contactPointID: this.opt(el, 'memo:contactPointID'),
      comment: this.opt(el, 'memo:comment'),
    });
  }

  replyData(el: XmlElement): MemoReplyData {
    return defined({
      messageID: this.opt(el, 'memo:messageID'),
      messageUUID: this.req(el, 'memo:messageUUID'),
      replyUUID: this.opt(el, 'memo:replyUUID'),
      senderID: this.opt(el, 'memo:senderID'),
      recipientID: this.opt(el, 'memo:recipientID'),
      caseID: this.opt(el, 'memo:caseID'),
      contactPointID: this.opt(el, 'memo:contactPointID'),
      generatingSystemID: this.opt(el, 'memo:generatingSystemID'),
      comment: this.opt(el, 'memo:comment'),
      additionalReplyData: childrenNamed(el, 'memo:AdditionalReplyData').map((a) => ({
        label: this.req(a, 'memo:label'),
        value: this.req(a, 'memo:value'),
      })),
    });
  }

  body(el: XmlElement): MemoBody {
    const main = child(el, 'memo:MainDocument');
    if (!main) throw new MemoError('memo_invalid', 'The MeMo MessageBody has no MainDocument.');
    return {
      createdDateTime: this.req(el, 'memo:createdDateTime').trim(),
      mainDocument: this.document(main, 'mainDocumentID'),
      additionalDocuments: childrenNamed(el, 'memo:AdditionalDocument').map((d) =>
        this.document(d, 'additionalDocumentID'),
      ),
      technicalDocuments: childrenNamed(el, 'memo:TechnicalDocument').map((d) =>
        this.document(d, 'technicalDocumentID'),
      ),
    };
  }

  document(el: XmlElement, idElement: string): MemoDocument {
    return defined({
      documentID: this.opt(el, `memo:${idElement}`),
      label: this.opt(el, 'memo:label'),
      files: childrenNamed(el, 'memo:File').map((f) => this.file(f, el.local)),
      actions: childrenNamed(el, 'memo:Action').map((a) => this.action(a)),
    });
  }

  file(el: XmlElement, documentKind: string): MemoFile {
    const filename = this.req(el, 'memo:filename');
    return {
      encodingFormat: this.req(el, 'memo:encodingFormat'),
      filename,
      language: this.req(el, 'memo:language').trim(),
      content: decodeBase64(this.req(el, 'memo:content'), `${documentKind} file "${filename}"`),
    };
  }

  action(el: XmlElement): MemoAction {
    const reservation = child(el, 'memo:Reservation');
    const entryPoint = child(el, 'memo:EntryPoint');
    const actionCode = this.req(el, 'memo:actionCode');
    if (!(MEMO_ACTION_CODES as readonly string[]).includes(actionCode)) {
      this.warnings.push(
        `Action code "${actionCode}" is not one in use in Digital Post (${MEMO_ACTION_CODES.join(', ')}).`,
      );
    }
    return defined({
      label: this.req(el, 'memo:label'),
      actionCode,
      startDateTime: this.opt(el, 'memo:startDateTime')?.trim(),
      endDateTime: this.opt(el, 'memo:endDateTime')?.trim(),
      reservation:
        reservation &&
        defined({
          description: this.req(reservation, 'memo:description'),
          reservationUUID: this.req(reservation, 'memo:reservationUUID'),
          abstract: this.req(reservation, 'memo:abstract'),
          location: this.req(reservation, 'memo:location'),
          startDateTime: this.req(reservation, 'memo:startDateTime').trim(),
          endDateTime: this.req(reservation, 'memo:endDateTime').trim(),
          organizerMail: this.opt(reservation, 'memo:organizerMail'),
          organizerName: this.opt(reservation, 'memo:organizerName'),
        }),
      entryPoint: entryPoint && { url: this.req(entryPoint, 'memo:url').trim() },
    });
  }
}

/** Strict base64 (xs:base64Binary: whitespace allowed, padding exact); Buffer.from alone would skip bad characters. */
export function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  if (compact.length % 4 !== 0 || /[^A-Za-z0-9+/]/.test(compact.replace(/={1,2}$/, ''))) {
    throw new MemoError('memo_invalid_base64', `The content of the ${what} is not valid base64.`);
  }
  return Buffer.from(compact, 'base64');
}

/** Reads the MeMo:Message element tree; warnings list oddities the schema allows (e.g. unknown action codes). */
export function readMemoMessage(root: XmlElement): { message: MemoMessage; warnings: string[] } {
  const reader = new Reader();
  const message = reader.message(root);
  return { message, warnings: reader.warnings };
}
