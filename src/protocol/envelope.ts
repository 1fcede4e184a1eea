// The wire envelope (ros-api.md §1.5, §3.1): JSON by default, XML for Format=XML. Errors carry
// RequestId, HostId, Code, Message and Recommend; success bodies never carry Code (pop-core
// would treat it as an error).
import { XMLBuilder } from 'fast-xml-parser';
import type { ApiError } from './errors.ts';

export type ResponseFormat = 'JSON' | 'XML';

const JSON_TYPE = 'application/json;charset=utf-8';
const XML_TYPE = 'text/xml;charset=utf-8';
const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

export interface Rendered {
  status: number;
  contentType: string;
  body: string;
}

// Answers a handler keeps and hands out again (an unchanged operation's poll answer) carry their
// JSON, serialised once.
const renderedJson = new WeakMap<object, string>();

export function withRenderedJson<T extends Record<string, unknown>>(result: T): T {
  renderedJson.set(result, JSON.stringify(result));
  return result;
}

// The answer is the handler's result with RequestId first. In JSON the id is spliced in front
// of the result's own serialisation rather than copied into a new object first: the same text,
// without building and walking a second object on every request (the polling path).
export function renderSuccess(action: string, requestId: string, result: Record<string, unknown> | undefined, format: ResponseFormat): Rendered {
  if (format === 'XML' || (result !== undefined && 'RequestId' in result)) {
    const body = { RequestId: requestId, ...result };
    if (format === 'JSON') return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(body) };
    return { status: 200, contentType: XML_TYPE, body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ [`${action}Response`]: body })}` };
  }
  const own = result === undefined ? '{}' : (renderedJson.get(result) ?? JSON.stringify(result));
  const id = `{"RequestId":${JSON.stringify(requestId)}`;
  return { status: 200, contentType: JSON_TYPE, body: own === '{}' ? `${id}}` : `${id},${own.slice(1)}` };
}

export function errorBody(error: ApiError, requestId: string, host: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: host,
    Code: error.code,
    Message: error.message,
    Recommend: `https://next.api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=ROS`,
  };
}

export function renderError(error: ApiError, requestId: string, host: string, format: ResponseFormat): Rendered {
  const body = errorBody(error, requestId, host);
  if (format === 'XML') {
    return { status: error.status, contentType: XML_TYPE, body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ Error: body })}` };
  }
  return { status: error.status, contentType: JSON_TYPE, body: JSON.stringify(body) };
}
