import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { keepProtoAttributes } from './dist/operations/keep-proto-attributes.js';
